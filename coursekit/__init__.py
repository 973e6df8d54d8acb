"""The course kit: modules in, a strict-built MkDocs Material site out."""
