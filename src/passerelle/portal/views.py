"""The public portal: pages anyone may read, built from public records only."""

from django.shortcuts import render

from .composition import international_relations


def international_relations_page(request):
    return render(
        request, "portal/international_relations.html", {"sections": international_relations()}
    )
