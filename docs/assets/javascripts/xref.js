/* 交叉引用预览在触屏上的行为：第一次点按显示预览，第二次点按才跳转；点别处或按 Esc 关闭。
   鼠标悬停和键盘聚焦由 CSS 处理，不依赖本脚本。 */
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
})();
