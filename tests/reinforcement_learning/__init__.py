"""Tests of course_lib.reinforcement_learning."""
