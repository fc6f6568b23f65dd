"""Pages that combine several apps: the home page (the Dinas dashboard, or the
officer's "Koperasi saya"), a cooperative's page with its RAT and health panels, and
the demo loader. It sits above the apps it combines, so that none of them needs to
import another built beside it."""
