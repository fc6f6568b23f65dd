"""Rekap: frozen reports upward (Wali Kota, province, Ministry) and the thematic map.

``aggregates`` counts and sums the registry per group; ``definitions`` holds one small
registered unit per report (R1, R2, R5); ``models`` the snapshot and its job row;
``services`` freezing and the Draf -> Disetujui -> Dikirim workflow; ``files`` the
.xlsx, PDF and CSV; ``map`` the choropleth's data.
"""
