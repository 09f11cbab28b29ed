"""Date and number formats per language, following CLDR where Django's own differ (FORMAT_MODULE_PATH).

Django's formats for Bulgarian leave numbers ungrouped and fall back to the American date-time
order; Catalan's month names lack the "de" its long dates need. These modules start from
Django's and change only what CLDR says otherwise; month names themselves are in the
catalogues (`locale/*/django.po`, contexts "alt. month").
"""
