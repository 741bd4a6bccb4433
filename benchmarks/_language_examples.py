"""
Summaries written the way the language rule (LG001) exists to catch, for the sample data.

They are deliberate examples of discouraged wording, kept in this one file so the rest of
the code base stays free of it.
"""

#: A summary using two discouraged terms ("service user", "kicked off").
DISCOURAGED_SUMMARY = (
    "The service user kicked off in the kitchen when their snack was finished and"
    " was restrained by two staff."
)
