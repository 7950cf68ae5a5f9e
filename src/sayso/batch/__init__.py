"""``sayso batch``: many shards extracted on Ray Data into Parquet, resumable shard by shard.

``shards`` lists and reads input shards (local or any filesystem pyarrow reads), ``records``
flattens records into the documents, figures and quotes tables, ``output`` writes each shard's
parts atomically with a done marker, and ``runner`` maps shards over Ray actors. Ray is imported
only when a batch runs (the optional extra ``sayso[batch]``).
"""
