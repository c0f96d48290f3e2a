/*
 * 搜索框：粘贴（右键菜单、拖放）、输入法上屏、浏览器自动填充等只触发 input 事件、不触发 keyup 的输入，
 * 也立即更新搜索结果。Material 的搜索框只在 keyup 时读取输入；这里在 input 时补发一次 keyup。
 * 同一内容不会重复查询（Material 只在输入框的值变化时才向搜索引擎发送查询）。
 */
document.addEventListener("input", function (ev) {
  var el = ev.target;
  if (el && el.matches && el.matches('[data-md-component="search-query"]'))
    el.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
}, true);

/*
 * 从搜索结果中页面本身那一行打开的页面：地址带 ?h=（要高亮的词）而不带 #。Material 会标出这些词，
 * 但停在页首；这里等它标好后把第一处高亮滚到屏幕中间，读者一打开就看到命中处。带 # 的地址由浏览器定位，不动。
 */
(function () {
  var params = new URLSearchParams(window.location.search);
  if (!params.get("h") || window.location.hash) return;
  var tries = 0;
  function reveal() {
    var mark = document.querySelector("article mark[data-md-highlight]");
    if (mark) {
      mark.scrollIntoView({ block: "center" });
    } else if (++tries < 40) {
      window.setTimeout(reveal, 50);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", reveal);
  else reveal();
})();
