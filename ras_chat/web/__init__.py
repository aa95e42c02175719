"""`ras-chat web`: the conversation as accessible, server-rendered web pages (docs/web.md).

`create_app(WebConfig(...))` gives the ASGI app; `ras_chat.commands.web` serves it with uvicorn.
"""
