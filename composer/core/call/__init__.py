"""The call as data: the model, draft files, validation, previews and the fields' documentation."""
