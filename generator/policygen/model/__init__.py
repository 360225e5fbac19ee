"""The words a legal reader uses: policy, statement, claim, text and its links, problem, URLs."""
