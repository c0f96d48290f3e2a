/* 典型案例的分类索引页：每组只直接列出最新的几起，其余由读者点“显示更多”逐批加载。
   每批是索引页旁边的一个小脚本（more-组名-序号.js），内容是一次 columnCasesMore({...}) 调用；
   用脚本而不用 fetch，是为了在 U 盘版（file://）中也能加载。没有脚本时页面只显示提示文字。 */
(function () {
  "use strict";

  var pending = {}; // 组名 → 正在加载的那一段说明（p.cases-more）

  function labelOf(p) {
    var rest = Number(p.getAttribute("data-remaining")) || 0;
    var batch = Math.min(rest, Number(p.getAttribute("data-batch")) || rest);
    return rest > batch ? "显示较早的" + batch + "起（共还有" + rest + "起）" : "显示其余" + rest + "起";
  }

  function load(p, button) {
    var group = p.getAttribute("data-list").replace(/^list-/, "");
    if (pending[group]) return;
    pending[group] = p;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    var script = document.createElement("script");
    script.src = p.getAttribute("data-more");
    script.onerror = function () {
      delete pending[group];
      button.disabled = false;
      button.removeAttribute("aria-busy");
      p.querySelector(".cases-more__status").textContent = "加载失败，请检查网络后重试。";
      script.remove();
    };
    script.onload = function () { script.remove(); };
    document.body.appendChild(script);
  }

  window.columnCasesMore = function (data) {
    var p = pending[data.group];
    if (!p) return;
    delete pending[data.group];
    var list = document.getElementById("list-" + data.group);
    var ul = list && list.querySelector("ul");
    if (!ul) return;
    var first = null;
    data.items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item[1];
      a.textContent = item[0];
      li.appendChild(a);
      if (item[2]) {
        var meta = document.createElement("span");
        meta.className = "cases-meta";
        meta.textContent = item[2];
        li.appendChild(meta);
      }
      ul.appendChild(li);
      if (!first) first = a;
    });
    var rest = (Number(p.getAttribute("data-remaining")) || 0) - data.items.length;
    var button = p.querySelector("button");
    var status = p.querySelector(".cases-more__status");
    var shown = ul.children.length;
    if (data.next && rest > 0) {
      p.setAttribute("data-more", data.next);
      p.setAttribute("data-remaining", String(rest));
      button.disabled = false;
      button.removeAttribute("aria-busy");
      button.textContent = labelOf(p);
      status.textContent = "已列出" + shown + "起，还有" + rest + "起。";
    } else {
      p.setAttribute("data-remaining", "0");
      button.remove();
      p.querySelector(".cases-more__text").textContent = "本组" + p.getAttribute("data-total") + "起已全部列出。";
      status.textContent = "已列出本组全部" + shown + "起。";
    }
    if (first) first.focus(); // 键盘读者从新加载的第一起接着往下读
  };

  function init() {
    var boxes = document.querySelectorAll("p.cases-more[data-more]");
    for (var i = 0; i < boxes.length; i++) {
      (function (p) {
        var nojs = p.querySelector(".cases-more__nojs");
        if (nojs) nojs.hidden = true;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button cases-more__button";
        button.setAttribute("aria-controls", p.getAttribute("data-list"));
        button.textContent = labelOf(p);
        button.addEventListener("click", function () { load(p, button); });
        var status = document.createElement("span");
        status.className = "cases-more__status";
        status.setAttribute("role", "status");
        p.appendChild(button);
        p.appendChild(status);
      })(boxes[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
