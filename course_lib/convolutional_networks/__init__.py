"""Chapter 3, Deep convolutional networks: ImageNet, AlexNet, "is there a cat in this picture?".

The modules follow the lecture:

- ``convolution``: a kernel slid over an image, and pooling, in numpy;
- ``model``: the settings, the layer table worked out by hand, the cost, the Keras model;
- ``training``: the images, the validation split, the batches, the live trainer;
- ``probe``: what it learnt and where it fails (evaluation, confusion, feature maps);
- ``images``: a drawing or photo prepared like the data; ImageNet's MobileNetV2;
- ``pretrained``: the digits network in ``assets/`` and the script that makes it;
- ``charts``: the Altair charts; ``lesson``: walkthrough and quiz; ``lab``: the notebook,
  made of the functions above.
"""
