"""What an operator sees: a log line and metrics per request, SQL counted, optional traces.

Outside the layers: any layer may note a fact here (a customer, an outcome, a change-log
entry), and nothing here imports a layer. The cost is a few counters per request and two
callbacks per SQL statement; nothing runs per GraphQL field.
"""
