"""简体中文 catalogue of resnorm: English text (the key, exactly as in the code) -> Chinese.

Terms follow docs/terminology.zh-CN.md (中英术语表). Keep every ``{field}`` of the key, with the
same format spec; Chinese punctuation is full-width (，。：；！？「」 or “”), numbers and code stay
half-width. ``tests/test_i18n.py`` checks that every message marked in the code is here, with the
same fields, and that nothing here is unused.
"""

MESSAGES: dict[str, str] = {
    # --- session, i18n, progress, widgets, quiz, argument checks (_validation), exercises/__init__

    # --- end of section


    # --- exercises of notebooks 01-05 (exercises/residual_connections ... beyond_the_interview)

    # --- end of section


    # --- notebook 06: exercises/interview_drill and exercises/interview_bugs

    # --- end of section


    # --- figures (resnorm.figures.*) and plots (resnorm.plots)

    # --- end of section


    # --- error messages of models, norms, measure, data, training, experiments and the rest

    # --- end of section
}
