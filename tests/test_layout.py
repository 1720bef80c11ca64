"""The core is packaged by theme; the names the addons, tools and benchmarks import stay
importable from the module paths they use (the addons move to the new paths later)."""

import ast
import importlib
import inspect
import re
import tomllib
from pathlib import Path

import pytest

from cchc_core import edxml, messages

# Module path used outside the core -> the names imported from it there.
IMPORTED = {
    "cchc_core.appendix": (
        "Message",
        "Appendix",
        "AppendixError",
        "AppendixRow",
        "MAX_BYTES",
        "MAX_ROWS",
        "parse_csv",
        "parse_docx",
        "parse_file",
        "parse_flattened_pdf_text",
        "parse_rows",
        "parse_text",
        "parse_xlsx",
    ),
    "cchc_core.appendix.cells": ("parse_budget", "split_agencies"),
    "cchc_core.appendix.report": ("appendix_data",),
    "cchc_core.catalogue": ("CatalogueError", "parse_file"),
    "cchc_core.edxml": (
        "ALLOW_SHA1",
        "Attachment",
        "BUSINESS_NEW",
        "BUSINESS_REPLACEMENT",
        "BUSINESS_REVOCATION",
        "BUSINESS_TYPES",
        "BUSINESS_UPDATE",
        "Document",
        "EdxmlError",
        "MAX_ZIP_RATIO",
        "NS",
        "Organization",
        "ResponseFor",
        "STATUS_CODES",
        "STATUS_HEADERS",
        "Status",
        "Trace",
        "VN_TZ",
        "Verified",
        "build_document",
        "build_status",
        "package_sha256",
        "parse",
        "sign",
        "sign_document",
        "sign_status",
        "signature_info",
        "verify",
    ),
    "cchc_core.pki": (
        "DEMO_ROOT_CRL_URL",
        "DemoPki",
        "Issuer",
        "Signer",
        "SigningError",
        "check_signing_certificate",
        "common_name",
        "export_pkcs12",
        "find_revocation",
        "generate_demo_pki",
        "issue_certificate",
        "issue_tsa_certificate",
        "load_crl",
        "load_signer",
        "make_crl",
    ),
}


@pytest.mark.parametrize("path", sorted(IMPORTED))
def test_names_used_outside_the_core_are_importable(path):
    module = importlib.import_module(path)
    missing = [name for name in IMPORTED[path] if not hasattr(module, name)]
    assert not missing, f"{path} lost {missing}"


def test_message_is_one_class():
    from cchc_core.messages import Message

    assert Message is messages.Message


def test_package_functions_are_not_hidden_by_modules():
    # A submodule named like a function would replace it as the package's attribute.
    for name in ("parse", "sign", "verify", "build_document", "signature_info"):
        assert inspect.isfunction(getattr(edxml, name)), name


def test_addons_that_import_the_core_declare_it():
    # Their wheels then require the core (whool maps external_dependencies to Requires-Dist)
    # and Odoo refuses to install them without it.
    root = Path(__file__).resolve().parent.parent
    name = tomllib.loads((root / "pyproject.toml").read_text())["project"]["name"]
    importing = {
        path.parts[len(root.parts) + 1]
        for path in (root / "addons").rglob("*.py")
        if re.search(r"^\s*(from|import) cchc_core\b", path.read_text(), re.M)
    }
    assert importing, "no addon imports the core: the test would prove nothing"
    undeclared = []
    for addon in sorted(importing):
        manifest = ast.literal_eval((root / "addons" / addon / "__manifest__.py").read_text())
        if name not in manifest.get("external_dependencies", {}).get("python", []):
            undeclared.append(addon)
    assert not undeclared, f"{undeclared} import cchc_core without declaring {name}"
