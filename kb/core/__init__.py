"""The core: building and loading a knowledge base (loader, streaming), what it holds and answers
(knowledge_base, evidence_rows), one worksheet of it (narrow), and naming its things (resolve)."""
