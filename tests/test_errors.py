"""The error tree: what the pipeline treats as a refusal, and locating an error after the fact."""
import pytest

from helpers.errors import (
    FontError,
    InputError,
    InvalidAgencyId,
    InvalidValue,
    NotebookFailed,
    XxgkError,
    is_user_error,
)
from helpers.format.ids import check_agency_id


def test_user_errors_are_the_subclasses_of_xxgk_error():
    for cls in (XxgkError, InputError, InvalidValue, InvalidAgencyId, FontError, NotebookFailed):
        assert is_user_error(cls.__name__)
    for name in ("ValueError", "KeyError", "OverflowError", "is_user_error", "Path", ""):
        assert not is_user_error(name)


def test_located_error_keeps_class_and_message():
    with pytest.raises(InputError) as raised:
        check_agency_id("../x")
    located = raised.value.at(file="a.csv", line=3)
    assert isinstance(located, InvalidAgencyId)
    assert str(located).startswith("a.csv:3：机构标识 '../x' 无效")
    assert located.detail == raised.value.detail
