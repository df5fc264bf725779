from campaigns.views.awards import *
from campaigns.views.campaigns import *
from campaigns.views.feedback import *
from campaigns.views.follow_up import *
from campaigns.views.registrations import *
from campaigns.views.reviews import *
