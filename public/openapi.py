"""The OpenAPI 3 description of the public API, built from the same whitelist as the
responses (public.fields), so the two cannot drift apart."""

from typing import Any

from django.conf import settings

from cooperatives.models import CooperativeStatus, Jenis

from .fields import public_fields


def _parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _licence() -> dict[str, Any]:
    """The open data's licence as the schema's ``info`` names it (none if unset)."""
    if not settings.OPEN_DATA_LICENCE:
        return {}
    licence = {"name": settings.OPEN_DATA_LICENCE}
    if settings.OPEN_DATA_LICENCE_URL:
        licence["url"] = settings.OPEN_DATA_LICENCE_URL
    return {"license": licence}


def openapi_schema(server: str) -> dict[str, Any]:
    cooperative = {
        "type": "object",
        "properties": {f.name: f.openapi for f in public_fields()},
        "required": [f.name for f in public_fields()],
        "additionalProperties": False,
    }
    counts = {
        "type": "object",
        "properties": {"terdaftar": {"type": "integer"}, "aktif": {"type": "integer"}},
    }
    statistics = {
        "type": "object",
        "properties": {
            "terdaftar": {"type": "integer"},
            "aktif": {"type": "integer"},
            "per_jenis": {
                "type": "array",
                "items": {
                    "allOf": [
                        counts,
                        {"type": "object", "properties": {"jenis": {"type": "string"}}},
                    ]
                },
            },
            "per_kecamatan": {
                "type": "array",
                "items": {
                    "allOf": [
                        counts,
                        {
                            "type": "object",
                            "properties": {"kecamatan": {"type": "string"}},
                        },
                    ]
                },
            },
            "kesehatan": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "predikat": {"type": "string"},
                        "jumlah": {"type": "integer"},
                    },
                },
            },
            "kesehatan_tahun_buku": {
                "type": "integer",
                "nullable": True,
                "description": "Tahun buku penilaian yang dihitung di kesehatan",
            },
        },
    }
    page = {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
            "results": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Koperasi"},
            },
        },
        "required": ["count", "page", "pages", "next", "previous", "results"],
    }
    json_of = lambda ref: {"application/json": {"schema": {"$ref": ref}}}  # noqa: E731
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"Registri Koperasi — {settings.OFFICE_NAME}",
            "version": "1",
            **_licence(),
            "description": (
                "Data publik koperasi: hanya isian yang boleh diumumkan. Baca saja, "
                "tanpa akun."
            ),
        },
        "servers": [{"url": server.rstrip("/")}],
        "paths": {
            "/koperasi/": {
                "get": {
                    "summary": "Daftar koperasi (berhalaman, dapat disaring)",
                    "operationId": "daftarKoperasi",
                    "parameters": [
                        _parameter(
                            "q",
                            "Nama, awal NIK, atau nama kelurahan",
                            {"type": "string", "maxLength": 100},
                        ),
                        _parameter(
                            "jenis",
                            "Jenis koperasi",
                            {"type": "string", "enum": Jenis.values},
                        ),
                        _parameter("kecamatan", "Nomor kecamatan", {"type": "integer"}),
                        _parameter(
                            "status",
                            "Status",
                            {"type": "string", "enum": CooperativeStatus.values},
                        ),
                        _parameter(
                            "page", "Halaman", {"type": "integer", "minimum": 1}
                        ),
                        _parameter(
                            "page_size",
                            "Baris per halaman (1–200)",
                            {"type": "integer", "minimum": 1, "maximum": 200},
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "Satu halaman",
                            "content": json_of("#/components/schemas/Halaman"),
                        },
                        "400": {
                            "description": "Parameter tidak sah",
                            "content": json_of("#/components/schemas/Kesalahan"),
                        },
                    },
                }
            },
            "/koperasi/{id}/": {
                "get": {
                    "summary": "Satu koperasi",
                    "operationId": "satuKoperasi",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Koperasi",
                            "content": json_of("#/components/schemas/Koperasi"),
                        },
                        "404": {
                            "description": "Tidak ada",
                            "content": json_of("#/components/schemas/Kesalahan"),
                        },
                    },
                }
            },
            "/statistik/": {
                "get": {
                    "summary": "Angka ringkas kota",
                    "operationId": "statistik",
                    "responses": {
                        "200": {
                            "description": "Statistik",
                            "content": json_of("#/components/schemas/Statistik"),
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Koperasi": cooperative,
                "Halaman": page,
                "Statistik": statistics,
                # Per parameter, what is wrong with it, in Bahasa Indonesia.
                "Kesalahan": {
                    "type": "object",
                    "required": ["errors"],
                    "properties": {
                        "errors": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "array",
                                "items": {"type": "string"},
                            },
                        }
                    },
                },
            }
        },
    }
