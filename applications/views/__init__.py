"""Views of the applications app, split by audience (``applicant``, ``support``)."""
