"""VLM Survey's site tooling: load and check the data, render it, stage each language, build, serve.

    languages.py      the language registry (languages.yml)
    yaml_source.py,   reading data files safely; validating them against data/schema/
      catalog.py
    page_sources.py   checking the pages and snippets before anything reads them
    i18n.py, tables.py, figures.py, entry_pages.py, chapters.py, citation.py, exports.py
                      rendering: tables, figures, entry pages, cite blocks, banners, exports
    freshness.py      which translations are behind
    engine_config.py, stage.py
                      each language's engine config and staged pages, as plain files
    build.py, serve.py, cli.py
                      running the engine (MkDocs or Zensical), the dev server, the command line
    macros.py         the in-page macros the engines call (mkdocs-macros' define_env)
"""
