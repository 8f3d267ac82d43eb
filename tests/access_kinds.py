"""The kinds of access decision in the access matrix (tests/test_access_matrix.py).

A kind whose name starts with "api " is an API operation: anonymous callers get a 401 problem.
Any other kind is a page: anonymous visitors are sent to sign in, unless it is public or part
of signing in. Apps may add kinds here; their own tests prove who reaches them.
"""

PUBLIC = "public"  # anyone, signed in or not
SIGN_IN_STEP = "sign-in step"  # the pages that make up signing in
SIGNED_IN = "signed in"  # any signed-in account
ADMIN = "system administrator"  # account management only
RECORD = "family record"  # personal data: the sharing policy decides
API_PUBLIC = "api public"  # documentation of error types
API_RECORD = "api family record"  # personal data over the API
CASEWORK = "casework"  # any practitioner who works with families (not analyst or admin)
IG_ONLY = "information governance"  # the information governance lead's work only
API_IG_ONLY = "api information governance"  # the same over the API
API_CASEWORK = "api casework"  # emergency access over the API
API_DESCRIPTION = "api description"  # the OpenAPI document, for token holders
API_UNKNOWN = "api unknown"  # anything else under /api/v1/: a 404 problem
