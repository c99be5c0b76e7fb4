"""Interface text of the rendered tables, entry pages and page chrome, in every language of the site."""

from __future__ import annotations

import datetime
from typing import Iterable

from vlm_survey.languages import TEXT_LANGUAGES as LANGUAGES

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        # column headers
        "col.name": "名称", "col.year": "年份", "col.organization": "机构",
        "col.architecture_type": "架构类型", "col.paradigm": "范式", "col.vision_encoder": "视觉编码器",
        "col.llm_backbone": "语言骨干", "col.connector": "连接方式", "col.parameters": "参数量",
        "col.training_data": "训练数据", "col.open_weights": "开放权重", "col.code": "代码",
        "col.summary": "简介", "col.notes": "勘误与备注", "col.kind": "类型", "col.category": "类别",
        "col.domain": "领域", "col.metric": "评测指标", "col.annotation": "标注来源", "col.metric_types": "指标类型",
        "col.annotation_types": "标注方式", "col.size_k": "规模",
        "col.project": "项目", "col.term_zh": "中文术语", "col.term_en": "英文术语", "col.abbr": "缩写",
        "col.definition": "释义",
        # cell text
        "yes": "是", "no": "否", "unknown": "未知", "none": "—", "from_scratch": "从零训练",
        "code_link": "代码", "project_link": "项目主页", "paper_link": "论文",
        "row_link": "链接到此行", "paper_says": "原始来源为",
        "list_separator": "、", "survey_wording": "综述原文：{value}", "glossary.avoid": "（本站不写作：{variants}）",
        "survey_value.Undisclosed": "未公开",
        "size_unit": "K", "uncertain": "待核实：未能与论文原文核对",
        "correction": "† {field}：综述表格为“{survey}”，原始来源为“{original}”。{note}",
        "caption.models": "模型一览（{count} 个）", "caption.benchmarks": "基准一览（{count} 个）",
        "caption.glossary": "术语表（{count} 条）",
        # enum labels
        "architecture_type.encoder-only": "仅编码器", "architecture_type.encoder-decoder": "编码器-解码器",
        "architecture_type.decoder-only": "仅解码器",
        "paradigm.from-scratch": "从零训练", "paradigm.llm-backbone": "预训练 LLM 作骨干",
        "paradigm.unified-tokens": "统一词元融合",
        "connector.linear-projection": "线性投影", "connector.mlp-projector": "MLP 投影层",
        "connector.q-former": "Q-Former", "connector.cross-attention": "交叉注意力",
        "connector.perceiver-resampler": "Perceiver 重采样器", "connector.visual-expert": "视觉专家模块",
        "connector.dual-encoder": "双编码器（对比对齐）", "connector.single-stream": "单流 Transformer",
        "connector.vq-tokenizer": "VQ 视觉分词器", "connector.native-multimodal": "原生多模态",
        "connector.undisclosed": "未公开",
        "kind.benchmark": "基准", "kind.simulator": "模拟器", "kind.simulator-dataset": "模拟器 + 数据集",
        "kind.world-model": "生成式世界模型",
        "category.general-intelligence": "综合能力", "category.vqa-reasoning": "视觉问答与推理",
        "category.ocr-document": "OCR 与文档", "category.ocr-reasoning": "OCR 与推理",
        "category.chart-diagram": "图表理解", "category.math-reasoning": "数学推理",
        "category.multilingual": "多语言", "category.video": "视频理解", "category.text-to-image": "文生图",
        "category.hallucination": "幻觉", "category.conversation-preference": "对话偏好",
        "category.fine-grained": "细粒度图像与视频", "category.embodied": "具身智能",
        "metric_types.answer-matching": "答案匹配", "metric_types.multiple-choice": "多项选择",
        "metric_types.yes-no": "是非判断", "metric_types.llm-judge": "LLM 评判",
        "metric_types.caption-overlap": "文本重合度（BLEU/CIDEr）", "metric_types.image-text-score": "图文一致性分数",
        "metric_types.human-rating": "人工评分", "metric_types.pairwise-preference": "成对偏好",
        "metric_types.semantic-alignment": "语义对齐", "metric_types.task-success": "任务成功率",
        "metric_types.multiple": "多种指标",
        "annotation_types.human": "人工", "annotation_types.crowdsourced": "众包",
        "annotation_types.expert": "专家", "annotation_types.synthetic": "合成",
        "annotation_types.simulator": "模拟器", "annotation_types.web": "网络",
        "field.architecture_type": "架构类型", "field.vision_encoder": "视觉编码器",
        "field.llm_backbone": "语言骨干", "field.parameters": "参数量", "field.paper": "论文链接",
        "field.training_data": "训练数据", "field.connector": "连接方式", "field.year": "年份",
        "field.papers": "论文链接", "field.name": "名称", "field.domain": "领域", "field.metric": "评测指标",
        "field.annotation": "标注来源", "field.size_k": "规模", "field.project": "项目主页",
        # entry pages (macros/entry_pages.py)
        "col.connector_detail": "连接方式说明", "col.survey_version": "收录于", "col.source": "数据来源",
        "survey_version.v1": "综述第一版表格（2019—2024 年）", "survey_version.later": "综述 2025 年各版本新增",
        "entry.kind.models": "模型", "entry.kind.benchmarks": "基准",
        "entry.details": "基本信息", "entry.links": "链接", "entry.bibtex": "BibTeX", "entry.related": "相关条目",
        "entry.publication": "论文", "entry.publication_text": "{title}（{authors}）",
        "entry.and_others": "{names} 等", "entry.field": "字段", "entry.survey_value": "综述表格",
        "entry.original_value": "原始来源", "entry.why": "说明",
        "entry.no_corrections": "本站未发现综述表格与原始来源在此条目上有出入。",
        "entry.data_file": "GitHub 上的数据文件",
        "entry.in_table.models": "在模型总表中查看此行", "entry.in_table.benchmarks": "在基准表中查看此行",
        "entry.based_on": "基于", "entry.successors": "后续模型", "entry.same_connector": "连接方式相同",
        "entry.same_category": "同类基准", "entry.no_related": "数据中暂无与此条目相关的其他条目。",
        "entry.breadcrumb": "所在位置", "entry.places": "在本站的位置", "entry.listed_in": "列于",
        "entry.named_in": "正文提到它的章节",
        # data exports (macros/exports.py)
        "exports.title": "下载数据：", "exports.all": "全部 {count} 条，格式", "exports.view": "只下载当前显示的行：",
        "exports.failed": "下载失败：{reason}。请稍后重试，或直接下载上方的完整文件。",
        # figures (macros/figures.py)
        "fig.timeline.aria": "{count} 个模型按年份（{start}—{end} 年）和范式排列的时间线",
        "fig.timeline.caption": "架构演进时间线：每个标记是一个模型，纵向按发表年份、横向按范式排列；"
                                "点击模型名可打开它的详情页。本图在构建时由数据生成。",
        "fig.lineage.aria": "{count} 个模型之间的 {edges} 条继承关系",
        "fig.lineage.caption": "模型谱系：箭头从一个模型指向在它基础上构建的模型（数据中的 based_on 字段）。",
        "fig.lineage.edge": "{child} 基于 {parent}",
        "fig.lineage.empty": "数据中尚未记录模型之间的继承关系。",
        "fig.number": "图 {chapter}-{n}", "fig.number.unnumbered": "图 {n}", "fig.download": "下载 SVG",
        # cite this page (macros/citation.py)
        "cite.summary": "引用本页", "cite.plain": "{authors}. {title}[EB/OL]. {site}, 版本 {version}, {year}. {url}",
        "cite.and": "，", "cite.bib_note": "版本 {version}",
        "cite.survey_hint": "如果引用的是综述本身的结论，请引用原论文：", "cite.survey_link": "引用本综述",
        # translation freshness banner (macros/chapters.py)
        "lang.zh": "中文", "lang.en": "英文",
        "translation.title": "译文可能已过时",
        "translation.behind": "本页的{other}版在两者上次同步（修订 {revision}）之后有改动{since}，本页尚未跟进。",
        "translation.commits": "（此后 {count} 次提交）", "translation.read": "阅读{other}版",
        # page chrome: the foot of every page (vlm_survey/stage.py)
        "pdf.contents": "目录", "pdf.chapter": "第 {n} 章", "pdf.presents": "导读与整理：", "pdf.web": "网页版：",
        "pdf.printed": "{date}印制", "pdf.by": "{authors} 等，{venue}，{year}", "pdf.table": "表 {chapter}-{n}",
        "pdf.table.unnumbered": "表 {n}",
        "chrome.updated": "最后更新", "chrome.edit": "在 GitHub 上编辑本页", "chrome.report": "报告错误",
        "chrome.report_title": "纠错：{title}", "chrome.date": "{year}年{month_name}{day}日",
        "chrome.month.1": "1月", "chrome.month.2": "2月", "chrome.month.3": "3月", "chrome.month.4": "4月",
        "chrome.month.5": "5月", "chrome.month.6": "6月", "chrome.month.7": "7月", "chrome.month.8": "8月",
        "chrome.month.9": "9月", "chrome.month.10": "10月", "chrome.month.11": "11月", "chrome.month.12": "12月",
    },
    "en": {
        "col.name": "Name", "col.year": "Year", "col.organization": "Organisation",
        "col.architecture_type": "Architecture", "col.paradigm": "Paradigm", "col.vision_encoder": "Vision encoder",
        "col.llm_backbone": "Language backbone", "col.connector": "Connector", "col.parameters": "Parameters",
        "col.training_data": "Training data", "col.open_weights": "Open weights", "col.code": "Code",
        "col.summary": "Summary", "col.notes": "Corrections and notes", "col.kind": "Type", "col.category": "Category",
        "col.domain": "Domain", "col.metric": "Metric", "col.annotation": "Annotation", "col.metric_types": "Metric type",
        "col.annotation_types": "Annotation source", "col.size_k": "Size",
        "col.project": "Project", "col.term_zh": "Chinese term", "col.term_en": "English term", "col.abbr": "Abbr.",
        "col.definition": "Definition",
        "yes": "Yes", "no": "No", "unknown": "Unknown", "none": "—", "from_scratch": "Trained from scratch",
        "code_link": "Code", "project_link": "Project", "paper_link": "Paper",
        "row_link": "Link to this row", "paper_says": "primary source says",
        "list_separator": ", ", "survey_wording": "The survey's wording: {value}",
        "glossary.avoid": " (not written here: {variants})", "survey_value.Undisclosed": "Undisclosed",
        "size_unit": "K", "uncertain": "Unconfirmed: not checked against the paper itself",
        "correction": "† {field}: the survey table says “{survey}”; the primary source says “{original}”. {note}",
        "caption.models": "Models ({count})", "caption.benchmarks": "Benchmarks ({count})",
        "caption.glossary": "Glossary ({count} terms)",
        "architecture_type.encoder-only": "Encoder-only", "architecture_type.encoder-decoder": "Encoder-decoder",
        "architecture_type.decoder-only": "Decoder-only",
        "paradigm.from-scratch": "Trained from scratch", "paradigm.llm-backbone": "Pretrained LLM backbone",
        "paradigm.unified-tokens": "Unified token fusion",
        "connector.linear-projection": "Linear projection", "connector.mlp-projector": "MLP projector",
        "connector.q-former": "Q-Former", "connector.cross-attention": "Cross-attention",
        "connector.perceiver-resampler": "Perceiver resampler", "connector.visual-expert": "Visual expert",
        "connector.dual-encoder": "Dual encoder (contrastive)", "connector.single-stream": "Single-stream Transformer",
        "connector.vq-tokenizer": "VQ visual tokeniser", "connector.native-multimodal": "Natively multimodal",
        "connector.undisclosed": "Undisclosed",
        "kind.benchmark": "Benchmark", "kind.simulator": "Simulator", "kind.simulator-dataset": "Simulator + data set",
        "kind.world-model": "Generative world model",
        "category.general-intelligence": "General intelligence", "category.vqa-reasoning": "VQA and reasoning",
        "category.ocr-document": "OCR and documents", "category.ocr-reasoning": "OCR and reasoning",
        "category.chart-diagram": "Charts and diagrams", "category.math-reasoning": "Math reasoning",
        "category.multilingual": "Multilingual", "category.video": "Video", "category.text-to-image": "Text-to-image",
        "category.hallucination": "Hallucination", "category.conversation-preference": "Conversation preference",
        "category.fine-grained": "Fine-grained image and video", "category.embodied": "Embodied AI",
        "metric_types.answer-matching": "Answer matching", "metric_types.multiple-choice": "Multiple choice",
        "metric_types.yes-no": "Yes/no", "metric_types.llm-judge": "LLM as judge",
        "metric_types.caption-overlap": "Text overlap (BLEU/CIDEr)", "metric_types.image-text-score": "Image-text score",
        "metric_types.human-rating": "Human rating", "metric_types.pairwise-preference": "Pairwise preference",
        "metric_types.semantic-alignment": "Semantic alignment", "metric_types.task-success": "Task success",
        "metric_types.multiple": "Multiple metrics",
        "annotation_types.human": "Human", "annotation_types.crowdsourced": "Crowdsourced",
        "annotation_types.expert": "Expert", "annotation_types.synthetic": "Synthetic",
        "annotation_types.simulator": "Simulator", "annotation_types.web": "Web",
        "field.architecture_type": "Architecture", "field.vision_encoder": "Vision encoder",
        "field.llm_backbone": "Language backbone", "field.parameters": "Parameters", "field.paper": "Paper link",
        "field.training_data": "Training data", "field.connector": "Connector", "field.year": "Year",
        "field.papers": "Paper links", "field.name": "Name", "field.domain": "Domain", "field.metric": "Metric",
        "field.annotation": "Annotation", "field.size_k": "Size", "field.project": "Project page",
        "col.connector_detail": "Connector details", "col.survey_version": "In the survey", "col.source": "Source",
        "survey_version.v1": "The survey's first table (2019–2024)", "survey_version.later": "Added in the survey's 2025 versions",
        "entry.kind.models": "Model", "entry.kind.benchmarks": "Benchmark",
        "entry.details": "Details", "entry.links": "Links", "entry.bibtex": "BibTeX", "entry.related": "Related entries",
        "entry.publication": "Paper", "entry.publication_text": "“{title}”, by {authors}",
        "entry.and_others": "{names} et al.", "entry.field": "Field", "entry.survey_value": "Survey's table",
        "entry.original_value": "Primary source",
        "entry.why": "Note",
        "entry.no_corrections": "This site found no disagreement between the survey's table and the primary source "
                                "for this entry.",
        "entry.data_file": "Data file on GitHub",
        "entry.in_table.models": "See this row in the model table",
        "entry.in_table.benchmarks": "See this row in the benchmark tables",
        "entry.based_on": "Builds on", "entry.successors": "Built upon by", "entry.same_connector": "Same connector",
        "entry.same_category": "Same category", "entry.no_related": "The data links no other entry to this one yet.",
        "entry.breadcrumb": "Where this page sits", "entry.places": "Where it appears", "entry.listed_in": "Listed in",
        "entry.named_in": "Mentioned in",
        "exports.title": "Download the data:", "exports.all": "all {count} entries as", "exports.view": "Only the rows shown:",
        "exports.failed": "Download failed: {reason}. Try again later, or download the complete file above.",
        "fig.timeline.aria": "Timeline of {count} models by year ({start}–{end}) and paradigm",
        "fig.timeline.caption": "Architecture evolution: one marker per model, by year of publication (down) and "
                                "paradigm (across); select a name to open the model's page. Drawn from the data "
                                "at build time.",
        "fig.lineage.aria": "{edges} lineage links between {count} models",
        "fig.lineage.caption": "Lineage: each arrow points from a model to one built on it (the based_on field "
                               "of the data).",
        "fig.lineage.edge": "{child} builds on {parent}",
        "fig.lineage.empty": "The data records no lineage between models yet.",
        "fig.number": "Figure {chapter}.{n}", "fig.number.unnumbered": "Figure {n}", "fig.download": "Download SVG",
        "cite.summary": "Cite this page", "cite.plain": "{authors} ({year}). {title}. In {site} (version {version}). {url}",
        "cite.and": ", ", "cite.bib_note": "Version {version}",
        "cite.survey_hint": "To cite the survey's own findings, cite the paper:", "cite.survey_link": "Cite the survey",
        "lang.zh": "Chinese", "lang.en": "English",
        "translation.title": "This translation may be out of date",
        "translation.behind": "The {other} version of this page has changed since the two were last synced "
                              "(revision {revision}){since}; this page has not caught up yet.",
        "translation.commits": " (commits since: {count})", "translation.read": "Read the {other} version",
        # page chrome: the foot of every page (vlm_survey/stage.py)
        "pdf.contents": "Contents", "pdf.chapter": "Chapter {n}", "pdf.presents": "A guide to",
        "pdf.web": "On the web:", "pdf.printed": "Printed {date}", "pdf.by": "{authors} et al., {venue}, {year}",
        "pdf.table": "Table {chapter}.{n}", "pdf.table.unnumbered": "Table {n}",
        "chrome.updated": "Last updated", "chrome.edit": "Edit this page", "chrome.report": "Report an error",
        "chrome.report_title": "Error: {title}", "chrome.date": "{day} {month_name} {year}",
        "chrome.month.1": "January", "chrome.month.2": "February", "chrome.month.3": "March",
        "chrome.month.4": "April", "chrome.month.5": "May", "chrome.month.6": "June", "chrome.month.7": "July",
        "chrome.month.8": "August", "chrome.month.9": "September", "chrome.month.10": "October",
        "chrome.month.11": "November", "chrome.month.12": "December",
    },
}


def check_language(lang: str) -> str:
    """Return `lang` if the site has it; raise ValueError naming the languages otherwise."""
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}; expected one of: {', '.join(LANGUAGES)}")
    return lang


def t(lang: str, key: str, default: str | None = None, **values: object) -> str:
    """Return the text for `key` in `lang` (or `default`), formatted with `values`."""
    text = LABELS[check_language(lang)].get(key, default)
    if text is None:
        raise KeyError(f"no {lang!r} text for {key!r} in macros/i18n.py")
    return text.format(**values) if values else text


def date_text(lang: str, date: datetime.date) -> str:
    """`date` as a reader of `lang` writes it: 2026年12月1日, 1 December 2026."""
    return t(lang, "chrome.date", year=date.year, day=date.day, month_name=t(lang, f"chrome.month.{date.month}"))


def listed(lang: str, items: Iterable[str]) -> str:
    """`items` written as a list in `lang`: 甲、乙、丙; a, b, c."""
    return t(lang, "list_separator").join(items)


def label(lang: str, field: str, value: str) -> str:
    """Return the reader-facing label of an enum value, e.g. label('zh', 'kind', 'simulator')."""
    return t(lang, f"{field}.{value}")
