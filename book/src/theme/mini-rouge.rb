# A syntax-highlighting theme for the book that prints well: every token dark enough to read on
# paper and on a projector (comments included, which most themes make pale grey).
require 'rouge'

module Rouge
  module Themes
    class MiniPrint < CSSTheme
      name 'mini-print'

      style Text, fg: '#1b1f24', bg: '#f6f8fa'
      style Error, fg: '#a40000'
      style Comment, fg: '#3d4f5f', italic: true
      style Comment::Preproc, fg: '#3d4f5f'
      style Keyword, fg: '#0b2f8a', bold: true
      style Keyword::Type, fg: '#0b2f8a', bold: true
      style Keyword::Constant, fg: '#0b2f8a', bold: true
      style Literal::String, fg: '#135c13'
      style Literal::String::Char, fg: '#135c13'
      style Literal::Number, fg: '#8a3500'
      style Name::Function, fg: '#5b1f7a'
      style Name::Class, fg: '#5b1f7a', bold: true
      style Name::Decorator, fg: '#6b4700'
      style Name::Constant, fg: '#7a2a2a'
      style Name::Builtin, fg: '#0b2f8a'
      style Operator, fg: '#1b1f24'
      style Generic::Prompt, fg: '#135c13', bold: true
    end
  end
end
