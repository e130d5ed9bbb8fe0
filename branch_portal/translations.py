"""Strings of Django that its own Chinese catalogue lacks in 6.1. Naming them here puts them in
our catalogue (makemessages scans this file; nothing imports it), whose translations Django uses
ahead of its own."""

from django.utils.translation import gettext_noop

gettext_noop("- Select an option -")  # the blank choice of every select since Django 6.0
