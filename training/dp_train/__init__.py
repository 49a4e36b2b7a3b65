"""DrivePerception training package (models, data/augmentation, losses, lanes scoring, ONNX export)."""
