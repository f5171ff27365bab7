"""The service catalog as data, its loader and validation, and the business calendar."""
