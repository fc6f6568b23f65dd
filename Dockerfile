# Production image: installs from requirements.txt only.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_ENV=production \
    KOPERASI_VAR_DIR=/data \
    DJANGO_STATIC_ROOT=/app/staticfiles

WORKDIR /app
# gettext for the translations; Pango, HarfBuzz and the DejaVu fonts for WeasyPrint,
# which draws every PDF (letters, health results, rekap) with them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 1000 --home /app koperasi \
    && mkdir -p /data && chown koperasi /data

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# Build-time only key: collectstatic and compilemessages need settings to load.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost \
      python manage.py collectstatic --noinput \
    && DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost \
      python manage.py compilemessages --ignore=staticfiles

USER koperasi
EXPOSE 8000
CMD ["gunicorn", "koperasi_registry.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
