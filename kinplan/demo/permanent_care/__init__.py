"""Demo permanent care support plans (seed 003), walked through the real services as each person who acts."""

from kinplan.demo.permanent_care.stories import PATHS, STORIES, Story
from kinplan.demo.permanent_care.walk import Walk, add_to_demo

__all__ = ["PATHS", "STORIES", "Story", "Walk", "add_to_demo"]
