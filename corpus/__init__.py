"""The sample articles shipped with the app (five Arabic news pages on the war in Libya, 2014-2020).

This file only makes the folder importable as ``workbench.corpus``, so that
``importlib.resources`` finds the articles in a source checkout, a wheel and a
frozen bundle alike.
"""
