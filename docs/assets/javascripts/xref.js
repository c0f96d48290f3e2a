/* 交叉引用预览在触屏上的行为：第一次点按显示预览，第二次点按才跳转；点别处或按 Esc 关闭。
   鼠标悬停和键盘聚焦由 CSS 处理，不依赖本脚本。
   表格放在可横向滚动的容器里，容器会裁掉伸出去的预览：表格中的预览改为按链接位置固定在窗口中显示
   （手机上样式表已把预览固定在屏幕底部，这里不管）。 */
(function () {
  "use strict";
  var lastPointer = "mouse";
  document.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType || "mouse"; }, true);

  function closeAll(except) {
    var open = document.querySelectorAll(".xref-wrap.xref--open");
    for (var i = 0; i < open.length; i++) {
      if (open[i] !== except) open[i].classList.remove("xref--open");
    }
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a.xref") : null;
    if (!link) { closeAll(null); return; }
    if (lastPointer !== "touch") return;
    var wrap = link.parentNode;
    if (wrap.classList.contains("xref--open")) return; // 第二次点按：正常跳转
    e.preventDefault();
    closeAll(wrap);
    wrap.classList.add("xref--open");
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") closeAll(null);
  });

  var phone = window.matchMedia("(max-width: 44.9375em)");
  var active = null;

  function place(link) {
    var tip = link.nextElementSibling;
    if (!tip || !tip.classList.contains("xref-tip") || !link.closest(".md-typeset__scrollwrap") || phone.matches) return;
    active = link;
    tip.style.position = "fixed";
    tip.style.margin = "0";
    var r = link.getBoundingClientRect();
    var w = tip.offsetWidth, h = tip.offsetHeight, gap = 6, margin = 8;
    var left = Math.max(margin, Math.min(r.left, window.innerWidth - w - margin));
    var top = r.bottom + gap;
    if (top + h > window.innerHeight - margin && r.top - gap - h >= margin) top = r.top - gap - h; // 下方放不下就放上方
    tip.style.left = Math.round(left) + "px";
    tip.style.top = Math.round(top) + "px";
  }

  function later(link) { window.requestAnimationFrame(function () { place(link); }); } // 等样式表把预览显示出来再量尺寸
  document.addEventListener("mouseover", function (e) {
    var link = e.target.closest ? e.target.closest("a.xref") : null;
    if (link) later(link);
  });
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("a.xref")) later(e.target);
  });
  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a.xref") : null;
    if (link) later(link);
  });
  window.addEventListener("scroll", function () { if (active) place(active); }, true);
})();
