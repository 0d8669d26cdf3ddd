# Type stub for auki_data.sessions (Python 3.9 syntax): the activity-session classes, also exported
# by the package itself (auki_data/__init__.pyi holds their stubs).
from . import Entry as Entry
from . import MetadataChangeset as MetadataChangeset
from . import NotFoundError as NotFoundError
from . import NotSet as NotSet
from . import Session as Session
from . import SessionFile as SessionFile
from . import SessionFileView as SessionFileView
from . import Topic as Topic
from . import create_session as create_session
