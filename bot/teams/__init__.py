"""The Microsoft Teams channel, on botbuilder-python (Bot Framework SDK 4).

botbuilder-python is archived upstream; its successor is the Microsoft 365 Agents SDK. Every import of
botbuilder, botframework and msrest stays inside this package, so moving to the Agents SDK touches nothing
else: the rest of the bot sees `start_teams` (server.py), the `TeamsSender` (sender.py) and the manifest
builder (manifest.py).
"""
