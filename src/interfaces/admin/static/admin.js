/* The pages' small behaviours, driven by data attributes. Pages carry no inline script and no
   on*= handlers, so the Content-Security-Policy can forbid both (script-src 'self', ADR 0018). */
(function () {
  "use strict";

  function each(selector, fn, root) { Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn); }

  // 全选: <input type="checkbox" data-check-all="learner_ids"> ticks every box of that name.
  each("[data-check-all]", function (box) {
    box.addEventListener("change", function () {
      each('input[name="' + box.dataset.checkAll + '"]', function (b) {
        b.checked = box.checked;
        b.dispatchEvent(new Event("change"));
      });
    });
  });

  // Irreversible actions ask first (requirements/common.md §3.5): <form data-confirm="…"> or a
  // submit <button data-confirm="…"> names what will happen and the amount or hours. In the
  // message {count}, {yuan}, {hours} and {items} stand for the form's ticked boxes: how many, the
  // sum of their data-fen in yuan, of their data-tenths in hours, and their data-label names. With
  // such a placeholder and nothing ticked the form is sent as it is; the server says what is missing.
  function yuanOf(fen) { return Math.floor(fen / 100) + "." + String(fen % 100).padStart(2, "0"); }
  function ticked(form) {
    var out = { count: 0, fen: 0, tenths: 0, items: [] };
    each("input[type=checkbox][name]:checked", function (box) {
      out.count += 1;
      out.fen += parseInt(box.dataset.fen || "0", 10);
      out.tenths += parseInt(box.dataset.tenths || "0", 10);
      if (box.dataset.label) { out.items.push(box.dataset.label); }
    }, form);
    return out;
  }
  function confirmation(form, submitter) {
    var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (!message || !/\{(count|yuan|hours|items)\}/.test(message)) { return message; }
    var t = ticked(form);
    if (!t.count) { return null; }
    return message.replace(/\{count\}/g, t.count).replace(/\{yuan\}/g, yuanOf(t.fen))
      .replace(/\{hours\}/g, Math.floor(t.tenths / 10) + "." + (t.tenths % 10)).replace(/\{items\}/g, t.items.join("、"));
  }
  each("form", function (form) {
    if (!form.matches("[data-confirm]") && !form.querySelector("[data-confirm]")) { return; }
    form.addEventListener("submit", function (event) {
      var message = confirmation(form, event.submitter);
      if (message && !window.confirm(message)) { event.preventDefault(); }
    });
  });

  // <a data-history-back href="/admin/">: back to the previous page when there is one.
  each("a[data-history-back]", function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    });
  });

  // Progress bars: the width comes from data-percent (inline styles are not allowed).
  function paint(bar, percent) { if (bar.firstElementChild) { bar.firstElementChild.style.width = percent + "%"; } }
  each(".progress[data-percent]", function (bar) { paint(bar, bar.dataset.percent); });

  // A background job's status and counts, refreshed from data-job-url until it finishes.
  each("[data-job-url]", function (bar) {
    var url = bar.dataset.jobUrl;
    function tick() {
      fetch(url, { headers: { "Accept": "application/json" }, cache: "no-store", credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (p) {
          document.getElementById("job-status").textContent = p.status_label;
          bar.setAttribute("aria-valuenow", p.percent);
          paint(bar, p.percent);
          each("#job-counts [data-k]", function (b) { b.textContent = p[b.dataset.k]; });
          if (p.finished) { window.location.reload(); } else { setTimeout(tick, 1000); }
        })
        .catch(function () { setTimeout(tick, 5000); });
    }
    setTimeout(tick, 500);
  });

  // The application form: birth date and sex shown as the ID number is typed.
  each("input[data-derive=birth]", function (id) {
    var out = document.getElementById("derived-birth");
    if (!out) { return; }
    function show() {
      var v = id.value.trim().toUpperCase();
      if (/^\d{17}[\dX]$/.test(v)) {
        out.textContent = v.substr(6, 4) + "-" + v.substr(10, 2) + "-" + v.substr(12, 2) + " / " +
          (parseInt(v.charAt(16), 10) % 2 ? "男" : "女") + "（保存时核验）";
      } else { out.textContent = "无需填写，录入身份证号码后自动获取"; }
    }
    id.addEventListener("input", show);
    show();
  });

  // Bills: the sum of the ticked bills; one submission per page.
  each("form[data-bill-payment]", function (form) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=bill_ids]"));
    var sum = form.querySelector("[data-testid=selected-sum]");
    function show() {
      var fen = 0, n = 0;
      boxes.forEach(function (b) { if (b.checked) { n += 1; fen += parseInt(b.dataset.fen, 10); } });
      sum.textContent = "已选 " + n + " 张，合计 " + yuanOf(fen) + " 元";
    }
    boxes.forEach(function (b) { b.addEventListener("change", show); });
    // The buttons are disabled once the form is on its way (the idempotency key guards online
    // payment even if it is sent twice); coming back from the history they work again.
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }  // the payer said no to the confirmation
      setTimeout(function () { each("button[type=submit]", function (b) { b.disabled = true; }, form); }, 0);
    });
    window.addEventListener("pageshow", function () { each("button[type=submit]", function (b) { b.disabled = false; }, form); });
    show();
  });

  // A trainee's certificate application: the ticked hours against the most one may apply for.
  each("[data-max-tenths]", function (form) {
    var max = parseInt(form.dataset.maxTenths, 10);
    var boxes = form.querySelectorAll('input[name="source_ids"]');
    function update() {
      var t = 0;
      Array.prototype.forEach.call(boxes, function (b) { if (b.checked) { t += parseInt(b.dataset.tenths, 10); } });
      document.getElementById("selected-total").textContent = Math.floor(t / 10) + "." + (t % 10);
      document.getElementById("selected-warning").textContent =
        t > max ? "超出单次申请上限 " + Math.floor(max / 10) + "." + (max % 10) + " 学时，申请将不予批准" : "";
    }
    Array.prototype.forEach.call(boxes, function (b) { b.addEventListener("change", update); });
    update();
  });

  // The gateway simulator's cashier: the result is posted, then back to the merchant's page.
  each("form[data-gateway-back]", function (form) {
    var error = document.querySelector("[data-testid=error]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var result = (event.submitter && event.submitter.dataset.result) || "success";
      each("button", function (b) { b.disabled = true; }, form);
      fetch(form.action + "?result=" + result, { method: "POST", body: new URLSearchParams(new FormData(form)) })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (answer) {
          if (!answer.ok) { throw new Error(answer.body.detail || "支付失败"); }
          window.location.href = form.dataset.gatewayBack;
        })
        .catch(function (e) {
          error.textContent = e.message || "支付失败，请稍后重试";
          error.hidden = false;
          each("button", function (b) { b.disabled = false; }, form);
        });
    });
  });

  // The course player reports only what it actually played (video.played); the server merges
  // the ranges and decides when a chapter is complete, so seeking ahead never completes it.
  each("[data-progress-url]", function (page) {
    var url = page.dataset.progressUrl, token = page.dataset.csrf;
    function ranges(video) {
      var out = [];
      for (var i = 0; i < video.played.length; i++) { out.push([video.played.start(i), video.played.end(i)]); }
      return out;
    }
    function show(chapter, answer) {
      var row = document.querySelector('tr[data-chapter="' + chapter + '"]');
      if (!row || !answer || answer.watched_seconds === undefined) { return; }
      row.querySelector("[data-testid=watched]").textContent = Math.round(answer.watched_seconds) + "秒";
      if (answer.chapter_completed) {
        row.querySelector("[data-testid=chapter-state]").innerHTML = '<span class="badge status-approved">已完成</span>';
        row.className = "done";
      }
    }
    window.reportPlayed = function (chapter, played) {
      if (!played.length) { return Promise.resolve(null); }
      return fetch(url + chapter + "/progress", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "x-csrftoken": token },
        body: JSON.stringify({ intervals: played })
      }).then(function (r) { return r.json(); }).then(function (answer) { show(chapter, answer); return answer; });
    };
    each("video[data-chapter]", function (video) {
      var chapter = video.getAttribute("data-chapter"), timer = null, sent = "";
      function report() {
        var played = ranges(video), key = JSON.stringify(played);
        if (key !== sent) { sent = key; window.reportPlayed(chapter, played); }
      }
      video.addEventListener("play", function () { timer = timer || setInterval(report, 15000); });
      video.addEventListener("pause", report);
      video.addEventListener("seeking", report);
      video.addEventListener("ended", function () { clearInterval(timer); timer = null; report(); });
    }, page);
  });
})();
