"""Helpers that the tests and the bench share: a started server and a browser, planted-anomaly scoring."""
