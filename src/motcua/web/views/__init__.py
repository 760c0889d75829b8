"""The pages of the web faces: the citizen portal (`portal`, `applicant`), the officer workspace
(`office`), VNeID sign-in (`identity`) and the error pages (`errors`). Thin: parse, call a selector
or a service, render."""
