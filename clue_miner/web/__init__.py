"""The analysts' web app: FastAPI with server-rendered Jinja2 templates, in Chinese."""
