"""Writes about sharing, one module per topic: consent and sharing decisions (``consent``),
break-glass access (``break_glass``), information held (``information``) and the disclosure
log (``disclosures``). Each service is ``<entity>_<verb>(*, actor, ...)``, atomic, checks
the policy and writes its audit event in the same transaction.
"""
