"""A small world: a council and a partner with a public and a private agreement, and their editors."""

from dataclasses import dataclass

import pytest

from municipia.organizations.models import Organization
from municipia.organizations.tests.factories import OrganizationFactory, PartnerFactory, RoleFactory, UserFactory
from municipia.partnerships.models import Agreement
from municipia.partnerships.tests.factories import AgreementFactory


@dataclass
class World:
    council: Organization
    partner: Organization
    other_council: Organization
    public: Agreement
    private: Agreement
    editor: object
    second_editor: object
    partner_editor: object
    other_editor: object
    plain_user: object
    admin: object


@pytest.fixture
def world(db) -> World:
    council = OrganizationFactory(name_en="Sofia", slug="sofia")
    partner = PartnerFactory(name_en="IAB Bulgaria", slug="iab-bulgaria")
    other = OrganizationFactory(name_en="Tremp", slug="tremp")
    public = AgreementFactory(owner=council, parties=[partner], slug="sofia-iab", title_en="Sofia and IAB")
    private = AgreementFactory(owner=council, parties=[partner], slug="sofia-iab-private", is_public=False)
    return World(
        council=council,
        partner=partner,
        other_council=other,
        public=public,
        private=private,
        editor=RoleFactory(organization=council).user,
        second_editor=RoleFactory(organization=council).user,
        partner_editor=RoleFactory(organization=partner).user,
        other_editor=RoleFactory(organization=other).user,
        plain_user=UserFactory(),
        admin=UserFactory(is_superuser=True, is_staff=True),
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded documents and images go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
