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
