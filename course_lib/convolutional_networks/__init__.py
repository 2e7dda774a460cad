"""Chapter 3, Deep convolutional networks: ImageNet, AlexNet, "is there a cat in this picture?"."""
