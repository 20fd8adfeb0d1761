"""首页: the signed-in staff member's to-do counts (待办事项), each linking to the filtered queue
it counts, above the menu's entries as tiles."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.worklist import worklist
from interfaces.admin.common.rendering import page
from interfaces.admin.common.worklist import QUEUE_PAGES


class HomePage(Controller):
    path = "/admin"

    @get("/", sync_to_thread=True)
    def home(self, request: Request[Any, Any, Any], actor: Actor, reader: Connection) -> Template:
        todo = [{"label": w.label, "count": w.count, "href": QUEUE_PAGES[w.key], "key": w.key}
                for w in worklist(reader, actor)]
        return page(request, "home.html", actor, todo=todo)
