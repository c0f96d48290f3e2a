/* 重点任务清单、自查表：按责任主体筛选。
   没有脚本时筛选框保持隐藏、表格全部显示；有脚本时显示筛选框，隐藏与所选主体无关的分组和行。
   一项任务可由几个主体共同承担（data-actors 用“|”分隔），选其中任何一个主体都会显示它。 */
(function () {
  "use strict";

  function matches(el, actor) {
    return !actor || (el.getAttribute("data-actors") || "").split("|").indexOf(actor) >= 0;
  }

  function apply(box, actor) {
    var root = box.parentNode;
    var shown = 0;
    var rows = root.querySelectorAll("tr[data-actors]");
    for (var i = 0; i < rows.length; i++) {
      var ok = matches(rows[i], actor);
      rows[i].hidden = !ok;
      if (ok) shown++;
    }
    /* 分组标题和分组表格：组内没有可见的行就整组隐藏 */
    var groups = root.querySelectorAll(".tasks-group-heading[data-actors], .tasks-group[data-actors]");
    for (var j = 0; j < groups.length; j++) {
      groups[j].hidden = !matches(groups[j], actor);
    }
    var status = box.querySelector("[data-tasks-status]");
    if (status) {
      status.textContent = actor ? "显示" + actor + "承担的" + shown + "项任务" : "显示全部" + shown + "项任务";
    }
  }

  function init() {
    var boxes = document.querySelectorAll("[data-tasks-filter]");
    for (var i = 0; i < boxes.length; i++) {
      (function (box) {
        var select = box.querySelector("[data-tasks-select]");
        if (!select) return;
        box.hidden = false;
        select.addEventListener("change", function () { apply(box, select.value); });
        if (select.value) apply(box, select.value);
      })(boxes[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
