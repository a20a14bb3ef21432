"""The Learn path: eight lessons of structured analysis, as data, with their graded
exercises built from the bundled cases, the biases shown on the seed case, and each
student's saved progress. The dashboard's Learn page only renders these."""
