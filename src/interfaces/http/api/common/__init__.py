"""What every API context package shares: the injected actor, services and read connection
(`dependencies`), role guards (`guards`), the base and shared response structs (`schemas`),
turning query rows into those structs (`convert`) and multipart uploads (`uploads`). Nothing
here imports a context package."""
