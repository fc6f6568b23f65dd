"""pdfium from several threads at once, as a threaded web server calls it."""

from concurrent.futures import ThreadPoolExecutor

import pypdfium2
from django.core.files.base import ContentFile

from campaigns.documents import combine_pdfs
from lib.pdf import html_to_pdf


def test_pdfs_joined_on_threads_at_once_are_each_whole():
    # A failed batch's PDF, downloaded several times at once, came back as
    # files of the wrong size ("Data format error"), then failed for good.
    letters = [
        html_to_pdf(f"<h1>Surat {n}</h1>" + "<p>Isi.</p>" * 40, base_url="/")
        for n in range(12)
    ]

    def join(_: int) -> bytes:
        return combine_pdfs(ContentFile(pdf) for pdf in letters)

    alone = join(0)
    document = pypdfium2.PdfDocument(alone)
    pages = len(document)
    document.close()
    assert pages >= 12
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(join, range(48)))
    assert {len(result) for result in results} == {len(alone)}
    for result in results[:3]:
        document = pypdfium2.PdfDocument(result)
        assert len(document) == pages
        document.close()
    # And the process still works afterwards.
    assert len(join(0)) == len(alone)
