/* 无障碍与适老化增强（在 <head> 中同步加载，不使用内联脚本）。
 *
 * 1. 字号切换：标准 / 大 / 特大（100% / 125% / 150%）。选择保存在 localStorage，
 *    在首次绘制前就加到 <html data-column-textsize>，翻页不闪烁；从 file:// 打开时同样有效。
 *    高对比度（纯黑白文字、加粗的边框和焦点框）同样保存，加到 <html data-column-contrast="high">。
 * 2. 搜索对话框的可访问名称（Material 的 role="dialog" 没有名称）。
 * 3. 能横向滚动的表格框：可用键盘聚焦（tabindex=0）、有名称（role=region），
 *    这样只用键盘的读者也能滚动宽表格（WCAG 2.1.1）。
 */
(function () {
  "use strict";

  var SIZES = ["100", "125", "150"];
  var KEY = "column.textsize";
  var CONTRAST_KEY = "column.contrast";
  var root = document.documentElement;
  var english = (root.getAttribute("lang") || "").toLowerCase().indexOf("en") === 0;

  /* Material 的 __md_get/__md_set 按站点根路径区分存储键；没有时退回到普通 localStorage */
  function load(key) {
    try {
      if (typeof window.__md_get === "function") return window.__md_get(key || KEY);
      return JSON.parse(window.localStorage.getItem(key || KEY));
    } catch (e) {
      return null;
    }
  }
  function save(value, key) {
    try {
      if (typeof window.__md_set === "function") window.__md_set(key || KEY, value);
      else window.localStorage.setItem(key || KEY, JSON.stringify(value));
    } catch (e) { /* 隐私模式等无法存储时，只对当前页面生效 */ }
  }

  function applyContrast(high) {
    if (high) root.setAttribute("data-column-contrast", "high");
    else root.removeAttribute("data-column-contrast");
    var buttons = document.querySelectorAll("button[data-column-contrast]");
    for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-pressed", String(high));
    return high;
  }

  function apply(size) {
    if (SIZES.indexOf(size) < 0) size = "100";
    if (size === "100") root.removeAttribute("data-column-textsize");
    else root.setAttribute("data-column-textsize", size);
    var buttons = document.querySelectorAll("[data-column-textsize]");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].tagName === "BUTTON") {
        buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-column-textsize") === size));
      }
    }
    return size;
  }

  /* 立即执行：在 <body> 绘制之前应用保存的字号 */
  root.classList.add("column-js");
  var current = apply(String(load() || "100"));
  var contrast = applyContrast(load(CONTRAST_KEY) === "high");

  function labelScrollers() {
    var boxes = document.querySelectorAll(".md-content .md-typeset__scrollwrap, .md-content .column-table, .md-content [data-column-scroll]");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var style = window.getComputedStyle(box);
      var scrolls = (style.overflowX === "auto" || style.overflowX === "scroll") && box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        var name = caption ? caption.textContent.trim() : "";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (name ? name + (english ? " " : "：") : "") +
          (english ? "table (scroll sideways)" : "表格（可左右滚动）"));
        box.setAttribute("data-column-scroll", "on");
      } else if (!scrolls && box.getAttribute("data-column-scroll") === "on") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("data-column-scroll");
      }
    }
  }

  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role='dialog']");
    if (dialog && !dialog.hasAttribute("aria-label") && !dialog.hasAttribute("aria-labelledby")) {
      dialog.setAttribute("aria-label", english ? "Site search" : "站内搜索");
    }
  }

  function init() {
    current = apply(current);
    contrast = applyContrast(contrast);
    var toggles = document.querySelectorAll("button[data-column-contrast]");
    for (var j = 0; j < toggles.length; j++) {
      toggles[j].addEventListener("click", function () {
        contrast = applyContrast(!contrast);
        save(contrast ? "high" : "normal", CONTRAST_KEY);
      });
    }
    var buttons = document.querySelectorAll("button[data-column-textsize]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        current = apply(event.currentTarget.getAttribute("data-column-textsize"));
        save(current);
        labelScrollers();
      });
    }
    nameSearchDialog();
    labelScrollers();
  }

  /* 另一个标签页改了字号或对比度时同步 */
  window.addEventListener("storage", function () {
    var size = String(load() || "100");
    if (size !== current) { current = apply(size); labelScrollers(); }
    var high = load(CONTRAST_KEY) === "high";
    if (high !== contrast) contrast = applyContrast(high);
  });

  var timer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(labelScrollers, 150);
  });
  /* Material 在加载后才给表格套上滚动框，所以 load 时再检查一次 */
  window.addEventListener("load", labelScrollers);

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
