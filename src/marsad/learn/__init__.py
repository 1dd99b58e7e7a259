"""Small learned decisions shared by the stages: sparse linear models trained with scikit-learn, applied with numpy."""
