"""The form macro: label, hint, errors and input, linked for screen readers."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

TEMPLATE = """{% from "_forms.html" import render_field, render_form_errors -%}
{{ render_form_errors(form) }}{{ render_field(field, hint=hint, **attrs) }}"""


class ExampleForm(FlaskForm):
    class Meta:
        csrf = False

    title = StringField("Title", validators=[InputRequired()])
    agree = BooleanField("I agree")
    mode = RadioField(
        "Mode", choices=[SelectChoice("practice", "Practice"), SelectChoice("test", "Test")]
    )


def render(app, field_name, hint=None, errors=(), form_errors=(), **attrs):
    with app.test_request_context():
        form = ExampleForm()
        field = form[field_name]
        field.errors = list(errors)
        form.form_errors = list(form_errors)
        return render_template_string(TEMPLATE, form=form, field=field, hint=hint, attrs=attrs)


def test_a_field_gets_its_label_and_input(app):
    html = render(app, "title")
    assert '<label for="title">Title</label>' in html
    assert 'id="title"' in html
    assert "required" in html
    assert "aria-describedby" not in html
    assert "aria-invalid" not in html


def test_the_hint_is_linked_to_the_input(app):
    html = render(app, "title", hint="Keep it short.")
    assert '<p class="hint" id="title-hint">Keep it short.</p>' in html
    assert 'aria-describedby="title-hint"' in html


def test_errors_are_listed_linked_and_mark_the_input_invalid(app):
    html = render(app, "title", hint="Keep it short.", errors=["Too long.", "Not unique."])
    assert '<ul class="errors" id="title-errors">' in html
    assert "<li>Too long.</li>" in html and "<li>Not unique.</li>" in html
    assert 'aria-describedby="title-hint title-errors"' in html
    assert 'aria-invalid="true"' in html


def test_hints_and_errors_are_escaped(app):
    html = render(app, "title", hint="<b>bold</b>", errors=["<script>x</script>"])
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>" not in html


def test_extra_arguments_become_attributes_of_the_input(app):
    html = render(app, "title", autofocus=True, placeholder="e.g. Grand Duchy")
    assert "autofocus" in html
    assert 'placeholder="e.g. Grand Duchy"' in html


def test_a_checkbox_sits_inside_its_label(app):
    html = render(app, "agree", hint="You can change your mind.")
    assert '<label for="agree">' in html
    assert html.index('type="checkbox"') < html.index("I agree")
    assert 'aria-describedby="agree-hint"' in html


def test_radio_buttons_are_grouped_in_a_fieldset_with_a_legend(app):
    html = render(app, "mode", hint="Test mode hides answers.", errors=["Pick one."])
    assert "<legend>Mode</legend>" in html
    assert 'aria-describedby="mode-hint mode-errors"' in html
    assert html.count('type="radio"') == 2
    assert '<label for="mode-0">' in html


@pytest.mark.parametrize("messages", [["Wrong username or password."]])
def test_form_level_errors_are_announced_and_stay_a_list(app, messages):
    """The alert role sits on a wrapper: on the list itself it would take away the list's
    semantics, leaving its items outside any list (axe: listitem)."""
    html = render(app, "title", form_errors=messages)
    assert re.search(r'<div role="alert">\s*<ul class="errors form-errors">', html)
    assert "<li>Wrong username or password.</li>" in html
    assert '<ul class="errors form-errors" role' not in html
