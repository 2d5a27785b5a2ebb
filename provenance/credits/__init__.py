"""Crediting: who a claim credits, which stored document a credit points at, and the primary
source of a claim that travelled.

* :mod:`.extract` (with :mod:`.patterns`): the credits in a document's text ("according to X",
  a quote's speaker, "told <outlet>", footnotes, links) and which claim each belongs to;
* :mod:`.resolve`: a credit's name or URL resolved to stored documents (outlet, site, page);
* :mod:`.primary`: the outside source most witnesses of a claim credit (``primary_source``).

Which member of a cluster is its origin because the others credit it is a choice of origin,
made in :mod:`provenance.origins`.
"""
