# 《硬措施》学习宣传专栏 —— 常用命令（说明见 README.md）
#
#   make serve    安装依赖并在 http://127.0.0.1:8000/ 预览（换端口：make serve PORT=8001）
#   make test     安装依赖（含 Debian chromium）并运行全部测试
#   make build    严格模式构建到 site/
#   make release  发布构建：先打印发布清单，有阻止发布的项目（页脚信息、举报渠道、网站地址等）时拒绝构建
#   make offline  U 盘版：构建可从 file:// 打开的副本并打包成 zip（需要 Node.js 和 npm）
#   make check    中文排版检查（不构建站点，几秒钟）
#   make fix      自动修正能安全修正的排版问题
#   make new-case 新建典型案例文件（逐项询问必填内容）
#   make new-post 新建一条工作动态（逐项询问必填内容，来源必填）
#   make check-content  不构建站点，检查典型案例等内容文件（几秒钟）
#   make import   导入一份公文（make import SRC=文件 ID=doc-编号）

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
export NO_MKDOCS_2_WARNING := 1
export PYTHONIOENCODING := utf-8
export LC_ALL := C.UTF-8

.PHONY: install serve build release offline test test-fast check check-quiz check-content new-case new-post import bench-cases fix chromium clean ids bench-search audit bench-lighthouse bench bench-compare

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@# 让 .venv 中的 Python（和 mkdocs 钩子）能导入本仓库的 studycol 包
	$(BIN)/python -c "import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()['purelib'], 'studycol-repo.pth').write_text('$(CURDIR)\n')"
	@touch $@

install: $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "需要 Node.js 和 npm（U 盘版的 iframe-worker 垫片、浏览器测试的 axe-core 由 npm 安装）：sudo apt-get install nodejs npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# 构建引擎：ProperDocs（MkDocs 1.x 的维护分支，命令和配置相同，输出与 MkDocs 1.6.1 逐字相同，见 README.md）；
# 要用 MkDocs 本身构建：make build ENGINE=.venv/bin/mkdocs
ENGINE ?= $(BIN)/properdocs

# 预览端口：make serve PORT=8001（默认 8000）
PORT ?= 8000
# 站点配置文件：部署单位可以另写一份（首行 INHERIT: mkdocs.yml，只写 extra.column），
# 用 make release CONFIG=本单位.yml 构建；文件要放在仓库根目录，与 mkdocs.yml 同级
CONFIG ?= mkdocs.yml

serve: $(STAMP)
	$(ENGINE) serve -f "$(CONFIG)" --dev-addr 127.0.0.1:$(PORT)

build: $(STAMP)
	$(ENGINE) build -f "$(CONFIG)" --strict --clean

# 发布构建：先打印发布清单（studycol/release.py），有阻止发布的项目时停下；清单通过后才构建。
# 发布稿不含编辑页面和“编辑须知”段落，待核实的案例不发布（extra.column.publish_unverified: true 时连同提示发布）
release: $(STAMP)
	$(BIN)/python -m studycol.release -f "$(CONFIG)"
	RELEASE=1 $(ENGINE) build -f "$(CONFIG)" --strict --clean

docs/assets/vendor/iframe-worker-shim.js: $(NODE_STAMP)
	@mkdir -p $(@D)
	cp node_modules/iframe-worker/shim/index.js $@

# U 盘版需要 npm：iframe-worker 垫片（让搜索在 file:// 下工作）由 npm ci 装到 node_modules/ 再复制进来
offline: $(STAMP) docs/assets/vendor/iframe-worker-shim.js
	OFFLINE=true $(ENGINE) build -f "$(CONFIG)" --strict --clean -d site-offline
	@rm -f dist/column-offline.zip && mkdir -p dist
	cd site-offline && "$(CURDIR)/$(BIN)/python" -m zipfile -c "$(CURDIR)/dist/column-offline.zip" .
	@echo "U 盘版：dist/column-offline.zip（解压后打开 index.html）"

# Debian 的 chromium 供浏览器测试使用（playwright 不能在这里下载浏览器）
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "安装 Debian chromium 和中文字体……"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

test: $(STAMP) $(NODE_STAMP) chromium docs/assets/vendor/iframe-worker-shim.js
	@# 类型检查：构建库按 pyproject.toml 中 [tool.mypy] 的规则（核心模块 strict）
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# 站内搜索基准：索引大小、键入到出结果的时间、内存，本站引擎与 Material 自带引擎对比（约需十几分钟）
bench-search: $(STAMP) $(NODE_STAMP) chromium
	$(BIN)/python bench/search_bench.py

# 站点体检：逐页检查外部请求、控制台错误、无障碍（axe，浅色/深色，测验作答后、搜索打开）、
# 手机 320px 横向溢出和触控目标，打印一张表；有问题时退出码为 1
audit: $(STAMP) $(NODE_STAMP) chromium
	$(BIN)/python bench/audit.py

# Lighthouse（手机模式）：首页、通知、任务清单、案例、测验页的四项得分和首次加载传输量，另测一个原版 Material 页面作对照。
# Lighthouse 只装在 bench/node_modules（不进 make test）；用 Debian chromium，不下载浏览器。
# 测完即退出码 0，未达目标的项目列在表下；要让未达目标算失败：make bench-lighthouse ARGS=--strict
bench-lighthouse: $(STAMP) chromium bench/node_modules/.installed-stamp
	$(BIN)/python bench/lighthouse_bench.py $(ARGS)

bench/node_modules/.installed-stamp: bench/package.json bench/package-lock.json
	@command -v npm >/dev/null || { echo "需要 Node.js 和 npm（Lighthouse 由 npm 安装到 bench/node_modules）：sudo apt-get install nodejs npm" >&2; exit 1; }
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"

# 把本次构建中出现的新引用编号追加到 data/published-ids.txt（只增不减）
ids: build
	$(BIN)/python tools/ids.py site

# 中文排版检查（公文写法）：docs/ 下的 Markdown 和 data/ 下的 YAML；规则表见编辑指南
check: $(STAMP) check-content
	$(BIN)/python tools/lint.py
	$(BIN)/python tools/check_study.py
	$(BIN)/python -m studycol.quiz_check

# 只核对题库（data/quiz/）：出处、答案、选项、重复题干、覆盖；不构建站点
# 典型案例等内容文件的规则检查（与构建时的检查相同，但不构建站点）
check-content: $(STAMP)
	$(BIN)/python tools/check_content.py

# 导入公文：make import SRC=收到的文件（.txt、.docx、带文字层的 .pdf） ID=doc-编号 [PREFIX=句子编号前缀]
# 写出 data/gongwen/<ID>.yml，底本原样复制到 data/source/ 并登记 SHA256SUMS；读不懂时停下并说明（见编辑指南“导入公文”）
import: $(STAMP)
	@test -n "$(SRC)" -a -n "$(ID)" || { echo "用法：make import SRC=文件 ID=doc-编号（如 make import SRC=~/来文/实施方案.docx ID=doc-shishi-fangan）" >&2; exit 2; }
	$(BIN)/python -m studycol.importer "$(SRC)" --id "$(ID)" $(if $(PREFIX),--prefix "$(PREFIX)")

# 新建典型案例文件：在终端中逐项询问；也可以用 ARGS 传参数，如 make new-case ARGS="--kind 教学示例 …"
new-case: $(STAMP)
	$(BIN)/python tools/new_case.py $(ARGS)

# 新建一条工作动态：在终端中逐项询问；也可以用 ARGS 传参数，如 make new-post ARGS="--help"
new-post: $(STAMP)
	$(BIN)/python tools/new_post.py $(ARGS)

# 基准：2,000 个合成案例时的构建时间和最大页面（几分钟）
bench-cases: $(STAMP)
	$(BIN)/python bench/cases_bench.py

check-quiz: $(STAMP)
	$(BIN)/python -m studycol.quiz_check

fix: $(STAMP)
	$(BIN)/python tools/lint.py --fix

# 规模基准：真实站点和 300、1000、5000 个合成案例的构建 CPU、峰值内存、输出和索引大小，真实站点和 300 个案例时的
# 下限（同样的页面不带钩子和 overrides/ 构建），300 个案例时的编辑循环（serve 下改一个案例到拿到新页面，并核对页面），
# 以及首次加载传输量；结果连同机器和日期写入 BENCHMARKS.md（约半小时）
bench: $(STAMP) $(NODE_STAMP) chromium
	$(BIN)/python bench/scale_bench.py --write

# 前后对比：同一份合成内容用两个版本的代码构建（make bench-compare BASE=<旧提交> CASES=500）
BASE ?= HEAD~1
CASES ?= 500
bench-compare: $(STAMP) docs/assets/vendor/iframe-worker-shim.js
	$(BIN)/python bench/compare_commits.py --base $(BASE) --cases $(CASES)

clean:
	rm -rf site site-offline dist .pytest_cache
