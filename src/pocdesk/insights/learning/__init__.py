"""The win-probability model (§10), free of the database: encode, fit, choose, explain, evaluate.

numpy and scikit-learn are imported inside the functions that need them, so importing this
package costs nothing at page or command start-up.
"""
