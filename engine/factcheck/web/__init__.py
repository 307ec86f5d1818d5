"""The review page (`factcheck serve`): a local web server over the review store, so that reviewers can
read findings with their quotes side by side and record verdicts, notes and assignments in a browser.
Flask renders the page (Jinja2, autoescaped); waitress serves it."""
