def test_x():
    import sys; print(sys.path[:4]); import annotator
